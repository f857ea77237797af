"""The sheet types the dashboard takes, one module each. Everything else — importer,
store, exports, templates, filters, the freshness grid, the README's table — reads
the specs registered here."""
from ..i18n import register as register_text
from . import (case_volumes, dimension_scores, phone_tests, plan_text, process_changes, strategies, survey_issued,
               survey_responses, targets)
from .base import Dataset

DATASETS: dict[str, Dataset] = {}


def register(spec: Dataset) -> Dataset:
    """Make a dataset known: recognised on import, exported, templated, counted."""
    DATASETS[spec.name] = spec
    register_text(f"dataset.{spec.name}", zh=spec.title, en=spec.title_en)
    return spec


def unregister(name: str):
    DATASETS.pop(name, None)


for module in (case_volumes, survey_responses, survey_issued, phone_tests, dimension_scores, targets, strategies,
               plan_text, process_changes):
    register(module.DATASET)

__all__ = ["DATASETS", "Dataset", "register", "unregister"]
