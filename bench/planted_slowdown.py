"""A planted slowdown, for checking that bench/guard.py fails: an MkDocs hook that the guard adds to its
generated throw-away project only (`bench/guard.py --hook bench/planted_slowdown.py --no-store`), never
to the portal's mkdocs.yml. At each build event it sleeps 0.3 times the time since the previous event,
so our build takes about 30 % longer whatever the load of the machine.
"""

import time

SHARE = 0.30
_last = time.perf_counter()  # MkDocs imports the hook while it loads the configuration


def _slow() -> None:
    global _last
    time.sleep(SHARE * (time.perf_counter() - _last))
    _last = time.perf_counter()


def on_config(config):
    _slow()
    return config


def on_files(files, config):
    _slow()
    return files


def on_nav(nav, config, files):
    _slow()
    return nav


def on_env(env, config, files):
    _slow()
    return env


def on_post_page(output, page, config):
    _slow()
    return output


def on_post_build(config):
    _slow()
