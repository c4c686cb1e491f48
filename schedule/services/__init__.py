"""Writes of the schedule app, one module per area: `years` (years, periods, holidays, bells, subjects),
`classes` (classes, groups, enrollments, promotion). Import the module you need:
`from schedule.services import classes as class_services`."""


class ScheduleError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
