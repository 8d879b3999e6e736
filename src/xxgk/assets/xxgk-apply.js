/* 依申请公开：在线填写申请表（表单由 data/portal.yml 的“申请表”生成，见 xxgk.portal.forms）。
   Everything happens in this browser: the form is checked here, and the filled 申请表 is made here as a
   printable table and as a .docx (the blank .docx's own parts from apply/form.json, each blank marked
   @@xxgk-<row>@@, packed in a zip of our own: STORE method, CRC-32). Nothing is sent anywhere; the
   citizen downloads, prints, or opens an e-mail to the office (mailto:) with the text. */
(function () {
  "use strict";

  var form = document.getElementById("xxgk-apply");
  if (!form || !window.fetch || !window.Blob || !window.TextEncoder) return;
  var result = document.getElementById("xxgk-apply-result");
  var summary = document.getElementById("xxgk-apply-summary");
  var definition = null;

  fetch(form.getAttribute("data-definition")).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (data) {
    definition = data;
    form.hidden = false;
  }).catch(function () { /* the blank forms below stay the way to apply */ });

  function kind() {
    var chosen = form.querySelector('input[name="kind"]:checked');
    return chosen ? Number(chosen.value) : 0;
  }

  function showGroup() {
    var current = kind();
    Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-group]"), function (group) {
      group.hidden = Number(group.getAttribute("data-group")) !== current;
    });
  }
  Array.prototype.forEach.call(form.querySelectorAll('input[name="kind"]'), function (radio) {
    radio.addEventListener("change", showGroup);
  });

  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  // The value of each row of the 申请表, by row number: what the citizen entered for the chosen kind
  // of applicant, tick boxes for choices, today's date for 申请日期; "" elsewhere.
  function values() {
    var found = {};
    var current = kind();
    definition.rows.forEach(function (row) {
      var value = "";
      if (row.kind === "choice") {
        var chosen = form.querySelector('input[name="f' + row.id + '"]:checked');
        value = row.options.map(function (option) {
          return (chosen && chosen.value === option ? "☑" : definition.box) + " " + option;
        }).join("　");
      } else if (row.kind === "sign") {
        value = row.today ? today() : "";
      } else if (row.kind !== "group" && (row.group === null || row.group === current)) {
        var field = form.elements["f" + row.id];
        value = field ? field.value.trim() : "";
      }
      found[row.id] = value;
    });
    return found;
  }

  function setError(row, message) {
    var field = document.getElementById("xxgk-f" + row.id);
    var note = document.getElementById("xxgk-f" + row.id + "-error");
    if (!field || !note) return;
    note.textContent = message;
    note.hidden = !message;
    if (message) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
  }

  // Required fields of the chosen applicant and of the request: a message beside each one missing,
  // their count at the top; the first one gets the focus.
  function check(filled) {
    var current = kind();
    var missing = [];
    definition.rows.forEach(function (row) {
      if (row.kind === "group" || row.kind === "sign") return;
      if (row.group !== null && row.group !== current) { setError(row, ""); return; }
      var empty = row.kind === "choice" ? !form.querySelector('input[name="f' + row.id + '"]:checked')
                                        : !filled[row.id];
      if (row.required && empty) {
        setError(row, (row.kind === "choice" || row.kind === "office" ? "请选择“" : "请填写“") + row.label + "”。");
        missing.push(row);
      } else {
        setError(row, "");
      }
    });
    summary.hidden = !missing.length;
    summary.textContent = missing.length ? "还有 " + missing.length + " 项必填内容没有填写，请按提示补全后再生成申请表。" : "";
    if (missing.length) {
      var first = document.getElementById("xxgk-f" + missing[0].id);
      var target = first.tagName === "FIELDSET" ? first.querySelector("input") : first;
      target.focus();
    }
    return !missing.length;
  }

  // --- the .docx: the marked parts filled, packed as a zip ------------------------------------------

  function xml(text) {
    return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function fill(part, filled) {
    return part.replace(/@@xxgk-(\d+)@@/g, function (_, id) {
      // A line break inside a cell: end the text run's text, a <w:br/>, and go on.
      return xml(filled[id] || "").split(/\r?\n/).join('</w:t><w:br/><w:t xml:space="preserve">');
    });
  }

  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();

  function crc32(bytes) {
    var crc = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
    return (crc ^ 0xFFFFFFFF) >>> 0;
  }

  function le(size, value) {
    var out = [];
    for (var i = 0; i < size; i++) out.push((value >>> (8 * i)) & 0xFF);
    return out;
  }

  // A zip archive, every file stored (method 0), names in UTF-8 (flag 0x0800), dated 1980-01-01.
  function zip(files) {
    var encoder = new TextEncoder();
    var chunks = [], central = [], offset = 0;
    files.forEach(function (file) {
      var name = encoder.encode(file[0]), data = encoder.encode(file[1]), crc = crc32(data);
      var common = [].concat(le(2, 20), le(2, 0x0800), le(2, 0), le(2, 0), le(2, 0x21), le(4, crc),
                             le(4, data.length), le(4, data.length), le(2, name.length), le(2, 0));
      var local = new Uint8Array([].concat(le(4, 0x04034B50), common));
      chunks.push(local, name, data);
      central.push(new Uint8Array([].concat(le(4, 0x02014B50), le(2, 20), common, le(2, 0), le(2, 0), le(2, 0),
                                            le(4, 0), le(4, offset))), name);
      offset += local.length + name.length + data.length;
    });
    var size = central.reduce(function (sum, part) { return sum + part.length; }, 0);
    var end = new Uint8Array([].concat(le(4, 0x06054B50), le(2, 0), le(2, 0), le(2, files.length),
                                       le(2, files.length), le(4, size), le(4, offset), le(2, 0)));
    return new Blob(chunks.concat(central, [end]),
                    { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
  }

  // --- the results: the printable table, the Word file, the e-mail ----------------------------------

  var docxUrl = null;

  function show(filled) {
    Array.prototype.forEach.call(result.querySelectorAll("[data-row]"), function (cell) {
      cell.textContent = filled[cell.getAttribute("data-row")] || "";
    });
    if (docxUrl) URL.revokeObjectURL(docxUrl);
    docxUrl = URL.createObjectURL(zip(definition.parts.map(function (part) {
      return [part[0], fill(part[1], filled)];
    })));
    document.getElementById("xxgk-apply-docx").href = docxUrl;

    var office = null, officeRow = null;
    definition.rows.forEach(function (row) { if (row.kind === "office") officeRow = row; });
    definition.offices.forEach(function (o) { if (officeRow && o.name === filled[officeRow.id]) office = o; });
    var mail = document.getElementById("xxgk-apply-mail");
    var note = document.getElementById("xxgk-apply-mail-note");
    if (office && office.email) {
      var text = [definition.title], heading = null;
      definition.rows.forEach(function (row) {
        if (row.kind === "group") { heading = row.label; return; }
        var chosen = form.querySelector('input[name="f' + row.id + '"]:checked');
        var value = row.kind === "choice" ? (chosen ? chosen.value : "") : filled[row.id];
        if (!value) return;
        if (heading) { text.push("", "【" + heading + "】"); heading = null; }  // only the parts filled in
        text.push(row.label + "：" + value);
      });
      mail.href = "mailto:" + office.email + "?subject=" + encodeURIComponent(definition.title) +
                  "&body=" + encodeURIComponent(text.join("\r\n"));
      mail.hidden = false;
      note.textContent = "“用电子邮件发送”会在您的邮件程序中打开一封写给 " + office.email +
                         " 的邮件，正文即申请内容；身份证明等材料请作为附件添加。";
    } else {
      mail.hidden = true;
      mail.removeAttribute("href");
      note.textContent = office ? office.name + "没有公布电子邮箱：请下载或打印申请表，签名后当面提交或邮寄。" : "";
    }
    result.hidden = false;
    result.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!definition) return;
    var filled = values();
    if (check(filled)) show(filled);
    else result.hidden = true;
  });

  document.getElementById("xxgk-apply-print").addEventListener("click", function () { window.print(); });
})();
