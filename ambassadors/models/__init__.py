from .catalogue import BestPractice, PracticeAttachment, PracticeContact
from .choices import AmbassadorReportState, FocusArea, MatchKind, PracticeState, Theme
from .network import Ambassador, Attendance, NetworkMeeting
from .reports import COUNT_FIELDS, AmbassadorReport, AmbassadorReportLog, GoalContribution

__all__ = [
    "COUNT_FIELDS",
    "Ambassador",
    "AmbassadorReport",
    "AmbassadorReportLog",
    "AmbassadorReportState",
    "Attendance",
    "BestPractice",
    "FocusArea",
    "GoalContribution",
    "MatchKind",
    "NetworkMeeting",
    "PracticeAttachment",
    "PracticeContact",
    "PracticeState",
    "Theme",
]
