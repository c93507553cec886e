"""The warehouse as one static, offline site (``jixiao site``): home, findings, units, documents, exports."""

from .build import SiteSummary, write_site

__all__ = ["SiteSummary", "write_site"]
