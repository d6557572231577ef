from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.accounts import set_person
from core.errors import DomainError
from core.roles import Role


class Command(BaseCommand):
    help = (
        "Create or update a person with a role. The password is read from the environment "
        "variable DJANGO_USER_PASSWORD (without it a new user cannot log in by password)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--municipality",
            action="append",
            default=[],
            metavar="CODE",
            help="3-digit municipality code; repeat for several",
        )
        parser.add_argument("--email")
        parser.add_argument("--name", help='the full name the pages show, e.g. "Hanne Jensen"')

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DJANGO_USER_PASSWORD")
        if password:
            # The same validators as a password changed on the site (AUTH_PASSWORD_VALIDATORS),
            # asked about this person, before anything is written.
            person = get_user_model()(username=options["username"], email=options["email"] or "")
            try:
                validate_password(password, user=person)
            except ValidationError as error:
                raise CommandError("DJANGO_USER_PASSWORD: " + " ".join(error.messages)) from None
        try:
            user, created = set_person(
                options["username"],
                options["role"],
                options["municipality"],
                email=options["email"],
                password=password,
                name=options["name"],
            )
        except DomainError as error:
            raise CommandError("; ".join(str(m) for messages in error.errors.values() for m in messages)) from None
        verb = "Created" if created else "Updated"
        where = ", ".join(options["municipality"]) or "SIRI"
        self.stdout.write(f"{verb} {user.username}: {options['role']} ({where})")
