"""rectcli: read an inspection-rectification notice (巡视整改进展情况的通报) closely and fast.

The package is usable as a library; the command line lives in :mod:`rectcli.cli`::

    from rectcli.notice.format import load_notice
    from rectcli.search import search

    notice = load_notice()
    for hit in search(notice, ["公车"]).hits:
        print(hit.passage.id, hit.passage.text)
"""

__version__ = "1.0.0"
