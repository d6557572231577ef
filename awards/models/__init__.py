from .award import Award, AwardLog, GrantTerms
from .changes import ChangeRequest, ChangeRequestLog, GrantVersion, VersionLine
from .choices import AuditLevel, ChangeKind, ChangeState, PaymentKind, PaymentState
from .payments import Payment, PaymentLog

__all__ = [
    "AuditLevel",
    "Award",
    "AwardLog",
    "ChangeKind",
    "ChangeRequest",
    "ChangeRequestLog",
    "ChangeState",
    "GrantTerms",
    "GrantVersion",
    "Payment",
    "PaymentKind",
    "PaymentLog",
    "PaymentState",
    "VersionLine",
]
