#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["runserver"]:
        import django

        django.setup()
        from config.startup import refuse_without_key

        refuse_without_key()

    execute_from_command_line(sys.argv)
