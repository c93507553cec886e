"""jixiao (绩效): the command line and orchestration around the loaders and the dbt project."""

__version__ = "0.1.0"
