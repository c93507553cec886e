"""jixiao loaders: read report documents and land raw tables in DuckDB.

The pipeline per document is a pure function of its bytes (see ``pipeline.parse_document``):

    bytes --readers--> decoded lines --normalize--> normalised lines (1:1 with the source lines)
          --segment--> sections + tables --extract--> number mentions + table cells
          --identify--> unit name, report year, title

``store`` writes the result to the ``raw`` schema whole documents per transaction (a batch lands whole or not at all).
"""

__all__ = ["pipeline"]
