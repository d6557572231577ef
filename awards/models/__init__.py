from .award import Award, AwardLog, GrantTerms
from .changes import ChangeRequest, ChangeRequestLog, GrantVersion, VersionLine
from .choices import (
    AccountsState,
    AuditLevel,
    AuditorKind,
    ChangeKind,
    ChangeState,
    FinalReportState,
    PaymentKind,
    PaymentState,
    RepaymentState,
)
from .closing import (
    AccountLine,
    FinalAccounts,
    FinalAccountsLog,
    FinalReport,
    FinalReportLog,
    FinalResult,
    Repayment,
    RepaymentLog,
)
from .payments import Payment, PaymentLog

__all__ = [
    "AccountLine",
    "AccountsState",
    "AuditLevel",
    "AuditorKind",
    "Award",
    "AwardLog",
    "ChangeKind",
    "ChangeRequest",
    "ChangeRequestLog",
    "ChangeState",
    "FinalAccounts",
    "FinalAccountsLog",
    "FinalReport",
    "FinalReportLog",
    "FinalReportState",
    "FinalResult",
    "GrantTerms",
    "GrantVersion",
    "Payment",
    "PaymentKind",
    "PaymentLog",
    "PaymentState",
    "Repayment",
    "RepaymentLog",
    "RepaymentState",
    "VersionLine",
]
