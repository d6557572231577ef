from .application import Application, BudgetLine, Goal, TargetGroup
from .approvals import PoliticalApproval
from .attachment import Attachment
from .choices import (
    ENDED_STATES,
    HOLDING_STATES,
    QUEUE_STATES,
    REPORTING_STATES,
    ApprovalStatus,
    BudgetCategory,
    FormSection,
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
from .review import Assessment, Assignment, Review

__all__ = [
    "ENDED_STATES",
    "HOLDING_STATES",
    "QUEUE_STATES",
    "REPORTING_STATES",
    "Application",
    "ApprovalStatus",
    "Assessment",
    "Assignment",
    "Attachment",
    "BudgetCategory",
    "BudgetLine",
    "Criterion",
    "FormSection",
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
