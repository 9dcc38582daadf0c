from django.core.management.base import BaseCommand

from ratings.rebuild import summaries_rebuild


class Command(BaseCommand):
    help = "Rebuild the rating summaries (and the agencies' facts) from the ratings themselves."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-facts",
            action="store_true",
            help="keep the agencies' feedback and catalogue figures as they are",
        )

    def handle(self, *args, no_facts=False, **options):
        written = summaries_rebuild(refresh_facts=not no_facts)
        self.stdout.write(f"{written} summary rows written")
