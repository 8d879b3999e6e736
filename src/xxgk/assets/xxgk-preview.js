/* 网页编辑（编辑网站的 admin/）的预览：选择项显示选项的名称，而不是写入文件的值。例如“发布机构”显示
   data/orgs.yml 中的机构名称，文件中仍写机构标识（如 swj）。名称取自 config.yml 中该字段的选项
   （由 xxgk 构建时生成），不另行维护。其余字段按 Decap 的默认方式显示。 */
(function () {
  "use strict";

  function optionLabel(field, value) {
    var options = field.get("options");
    var found = options && options.find(function (option) {
      return option && option.get && option.get("value") === value;
    });
    return found ? found.get("label") : value;
  }

  function shown(field, value) {
    if (value && typeof value.toArray === "function") {  // a multiple select: a list of values
      return value.toArray().map(function (item) { return optionLabel(field, item); }).join("、");
    }
    return optionLabel(field, value);
  }

  var EntryPreview = createClass({
    render: function () {
      var props = this.props;
      var data = props.entry.get("data");
      var parts = props.fields.filter(function (field) {
        return field.get("widget") !== "hidden";
      }).map(function (field) {
        var name = field.get("name");
        if (field.get("widget") !== "select") {
          return h("div", { key: name }, props.widgetFor(name));
        }
        var value = data ? data.get(name) : null;
        var empty = value === undefined || value === null || value === "";
        return h("div", { key: name, "data-field": name }, empty ? null : shown(field, value));
      });
      return h("div", null, parts.toArray());
    }
  });

  CMS.registerPreviewTemplate("catalog", EntryPreview);
})();
