"""Domain errors. Each carries a Chinese message a staff member can act on."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action. ``status`` maps to an HTTP 4xx at the edge."""

    status = 409

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(DomainError):
    status = 404


class Invalid(DomainError):
    status = 400


class Conflict(DomainError):
    status = 409


class NotAllowed(DomainError):
    status = 403


class Unauthenticated(DomainError):
    status = 401
