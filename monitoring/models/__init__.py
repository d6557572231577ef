from .choices import (
    COUNTING_STATES,
    FipDimension,
    GoalStatus,
    NotificationKind,
    OutcomePoint,
    ReportState,
    Respondent,
    RiskLevel,
    Trend,
)
from .economics import ProjectEconomics
from .milestones import ExpectedValue, Milestone, MilestoneChange
from .notifications import Notification
from .reports import KPI_FIELDS, FipScore, GoalProgress, NationalKpi, Outcome, QuarterlyReport, ReportLog
from .summary import GrantProgress

__all__ = [
    "COUNTING_STATES",
    "KPI_FIELDS",
    "ExpectedValue",
    "FipDimension",
    "FipScore",
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
    "ProjectEconomics",
    "QuarterlyReport",
    "ReportLog",
    "ReportState",
    "Respondent",
    "RiskLevel",
    "Trend",
]
