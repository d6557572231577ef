from .application import Application, BudgetLine, Goal, PoliticalApproval, TargetGroup
from .attachment import Attachment
from .choices import (
    ApprovalStatus,
    BudgetCategory,
    GoalKind,
    GrantState,
    Measure,
    Recommendation,
    State,
)
from .grant import Grant
from .log import JournalCounter, TransitionLog
from .people import Municipality, Profile, Region
from .pools import Criterion, Pool
from .review import Review

__all__ = [
    "Application",
    "ApprovalStatus",
    "Attachment",
    "BudgetCategory",
    "BudgetLine",
    "Criterion",
    "Goal",
    "GoalKind",
    "Grant",
    "GrantState",
    "JournalCounter",
    "Measure",
    "Municipality",
    "PoliticalApproval",
    "Pool",
    "Profile",
    "Recommendation",
    "Region",
    "Review",
    "State",
    "TargetGroup",
    "TransitionLog",
]
