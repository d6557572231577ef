from .choices import (
    COUNTING_STATES,
    FOLLOW_UP_MONTHS,
    FipDimension,
    FollowUpPoint,
    GoalStatus,
    NotificationKind,
    OutcomePoint,
    ReportState,
    Respondent,
    RiskLevel,
    Trend,
)
from .economics import ProjectEconomics
from .followups import FOLLOW_UP_STATES, FollowUp, due_date, point_date, takes_follow_ups
from .milestones import ExpectedValue, Milestone, MilestoneChange
from .notifications import Notification
from .reports import KPI_FIELDS, FipScore, GoalProgress, NationalKpi, Outcome, QuarterlyReport, ReportLog
from .summary import GrantProgress, PoolStamp

__all__ = [
    "COUNTING_STATES",
    "FOLLOW_UP_MONTHS",
    "FOLLOW_UP_STATES",
    "KPI_FIELDS",
    "ExpectedValue",
    "FipDimension",
    "FipScore",
    "FollowUp",
    "FollowUpPoint",
    "GoalProgress",
    "GoalStatus",
    "GrantProgress",
    "Milestone",
    "MilestoneChange",
    "NationalKpi",
    "Notification",
    "NotificationKind",
    "Outcome",
    "OutcomePoint",
    "PoolStamp",
    "ProjectEconomics",
    "QuarterlyReport",
    "ReportLog",
    "ReportState",
    "Respondent",
    "RiskLevel",
    "Trend",
    "due_date",
    "point_date",
    "takes_follow_ups",
]
