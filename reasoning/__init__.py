"""chosaku-kg: a knowledge-graph reasoning engine for Japanese copyright law and generative AI.

    from chosaku import evaluate
    result = evaluate("cases/rag-type4-novel-rewrite.yaml")
    result.to_dict()   # the result contract (SCENARIO-FORMAT.md)
    result.graph       # facts + inferences + provenance (rdflib Graph)
"""

from .errors import ChosakuError, ScenarioError, ValidationError
from .evaluate import evaluate
from .result import Result

__all__ = ["evaluate", "Result", "ChosakuError", "ScenarioError", "ValidationError"]
