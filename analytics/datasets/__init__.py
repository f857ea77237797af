"""The sheet types the dashboard takes; one module each."""
from . import case_volumes, dimension_scores, phone_tests, strategies, survey_issued, survey_responses, targets
from .base import Dataset

DATASETS: dict[str, Dataset] = {
    m.DATASET.name: m.DATASET
    for m in (case_volumes, survey_responses, survey_issued, phone_tests, dimension_scores, targets, strategies)
}

__all__ = ["DATASETS", "Dataset"]
