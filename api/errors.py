"""The API's domain error: services raise it with a Russian message (after translation) that views show."""


class ApiError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
