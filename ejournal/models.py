"""The base of every school-owned table (DESIGN §4): a direct `school` column that every query filters by."""

from django.db import models


class SchoolOwnedQuerySet(models.QuerySet):
    def for_school(self, school):
        return self.filter(school=school)


class SchoolOwned(models.Model):
    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="+")

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        abstract = True
