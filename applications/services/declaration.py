"""The declaration at submit: SIRI's form ends with the grant-responsible person's name in block
letters and signature, "den person, der har det fulde økonomiske og retlige ansvar for projektet".
Submit asks that person's name and title and an explicit confirmation; the declaration is stored
on the application, written in the submit's log entry, and shown on the receipt and the
application PDF. (With single sign-on the signer will be the person logged in.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import validator_messages
from core.validators import validate_no_cpr

from ..models import Application

DECLARATION_TEXT = _(
    "As the grant-responsible person, the person with the full financial and legal responsibility for the "
    "project, I confirm that the information in the application is correct and that the municipality will "
    "carry out the project as described if it is granted."
)
NAME_MISSING = _("Give the name of the grant-responsible person, who confirms the declaration.")
TITLE_MISSING = _("Give the title of the grant-responsible person.")
NOT_CONFIRMED = _("The grant-responsible person must confirm the declaration before the application is submitted.")
MAX_LENGTH = 200


@dataclass(frozen=True)
class Declaration:
    name: str = ""
    title: str = ""
    confirmed: bool = False

    @classmethod
    def from_data(cls, data: Any) -> Declaration:
        """From a page's or the API's fields `declared_by_name`, `declared_by_title` and `declaration`."""
        confirmed = data.get("declaration")
        if isinstance(confirmed, str):
            confirmed = confirmed.strip().lower() in {"on", "true", "1", "yes"}
        return cls(
            name=str(data.get("declared_by_name") or "").strip(),
            title=str(data.get("declared_by_title") or "").strip(),
            confirmed=confirmed is True,
        )


def _same_person(one: str, other: str) -> bool:
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def declaration_problems(application: Application, declaration: Declaration) -> dict[str, list[Any]]:
    """Everything wrong with a declaration, by field. The name must be the grant-responsible
    person's as the application gives it: the declaration is theirs, whoever clicks submit."""
    errors: dict[str, list[Any]] = {}
    for field, value, missing in (
        ("declared_by_name", declaration.name, NAME_MISSING),
        ("declared_by_title", declaration.title, TITLE_MISSING),
    ):
        if not value:
            errors[field] = [missing]
        elif len(value) > MAX_LENGTH:
            errors[field] = [_("At most %(max)s characters.") % {"max": MAX_LENGTH}]
        elif problems := validator_messages([validate_no_cpr], value):
            errors[field] = problems
    responsible = application.grant_responsible_name.strip()
    named = declaration.name and "declared_by_name" not in errors and responsible
    if named and not _same_person(declaration.name, responsible):
        errors["declared_by_name"] = [
            _(
                "The declaration is confirmed by the grant-responsible person the application names, "
                "%(name)s. Give that name, or change the grant-responsible person in the first step."
            )
            % {"name": responsible}
        ]
    if not declaration.confirmed:
        errors["declaration"] = [NOT_CONFIRMED]
    return errors


def record(application: Application, user: Any, declaration: Declaration) -> str:
    """Put the declaration on the application (saved with the submit) and return the sentence the
    submit's log entry carries."""
    application.declared_by_name = declaration.name
    application.declared_by_title = declaration.title
    application.declared_at = timezone.now()
    application.declared_by = user if getattr(user, "is_authenticated", False) else None
    return log_text(declaration.name, declaration.title)


def log_text(name: str, title: str) -> str:
    return gettext("The declaration is confirmed by %(name)s, %(title)s.") % {"name": name, "title": title}
