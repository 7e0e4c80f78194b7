"""The archive calls of ``StationApi`` (归档, R-A1–R-A3), kept beside it as a mixin so that
``tui/api_client.py`` stays one screenful per feature."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote

from appliance.archives.schemas import (
    AcceptIn,
    BuildIn,
    BuildReport,
    DuePackage,
    PackageView,
    ResubmitIn,
    ReturnIn,
    TransferIn,
    TransferView,
    VerifyView,
)

T = TypeVar("T")


class ArchiveCalls:
    """Mixed into ``StationApi``, which provides ``_typed``."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError  # StationApi._typed

    async def archives_due(self) -> list[DuePackage]:
        return await self._typed("GET", "/api/archives/due", list[DuePackage])

    async def archive_packages(self) -> list[PackageView]:
        return await self._typed("GET", "/api/archives/packages", list[PackageView])

    async def build_archives(self, case_numbers: list[str] | None = None) -> BuildReport:
        body = BuildIn(case_numbers=case_numbers or [])
        return await self._typed("POST", "/api/archives/build", BuildReport, body)

    async def verify_archive(self, archive_no: str) -> VerifyView:
        path = f"/api/archives/packages/{quote(archive_no)}/verify"
        return await self._typed("GET", path, VerifyView)

    async def transfers(self) -> list[TransferView]:
        return await self._typed("GET", "/api/archives/transfers", list[TransferView])

    async def create_transfer(self, receiver: str, case_numbers: list[str]) -> TransferView:
        body = TransferIn(receiver=receiver, case_numbers=case_numbers)
        return await self._typed("POST", "/api/archives/transfers", TransferView, body)

    async def return_transfer(self, number: str, receiver_name: str, reason: str) -> TransferView:
        path = f"/api/archives/transfers/{quote(number)}/return"
        body = ReturnIn(receiver_name=receiver_name, reason=reason)
        return await self._typed("POST", path, TransferView, body)

    async def resubmit_transfer(
        self, number: str, note: str, case_numbers: list[str]
    ) -> TransferView:
        path = f"/api/archives/transfers/{quote(number)}/resubmit"
        body = ResubmitIn(note=note, case_numbers=case_numbers)
        return await self._typed("POST", path, TransferView, body)

    async def accept_transfer(self, number: str, receiver_name: str) -> TransferView:
        path = f"/api/archives/transfers/{quote(number)}/accept"
        return await self._typed("POST", path, TransferView, AcceptIn(receiver_name=receiver_name))
