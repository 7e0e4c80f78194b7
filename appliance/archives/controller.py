"""Archives API (归档, R-A1–R-A3): due packages, building, rechecking, transfer lists.

Window staff and the station head file the cases (HN-5 7.3: 窗口工作人员收集、整理、移交).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

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
from appliance.archives.service.archives import ArchiveService
from appliance.archives.service.transfers import TransferService
from appliance.core.errors import Conflict
from appliance.core.roles import WINDOW_ROLES, Principal

ARCHIVE = {"roles": WINDOW_ROLES}
PDF = "application/pdf"
ZIP = "application/zip"

Archives = NamedDependency[ArchiveService]
Transfers = NamedDependency[TransferService]
Me = NamedDependency[Principal]


def _file(data: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class ArchiveController(Controller):
    path = "/api/archives"

    @get("/due", opt=ARCHIVE, sync_to_thread=True)
    def due(self, archives: Archives) -> list[DuePackage]:
        """Finished cases whose package is not built yet, nearest deadline first (临期, 逾期)."""
        return archives.due()

    @get("/packages", opt=ARCHIVE, sync_to_thread=True)
    def packages(
        self, archives: Archives, limit: Annotated[int, Parameter(ge=1, le=1000)] = 200
    ) -> list[PackageView]:
        """Built packages, newest first."""
        return archives.packages(limit)

    @post("/build", opt=ARCHIVE, sync_to_thread=True)
    def build(self, data: JSONBody[BuildIn], archives: Archives, principal: Me) -> BuildReport:
        """Build the named cases' packages now (or every due one): 409 for an unfinished or
        already archived case, and nothing is built."""
        return archives.build(list(data.case_numbers), principal.code)

    @get("/packages/{archive_no:str}/verify", opt=ARCHIVE, sync_to_thread=True)
    def verify(self, archive_no: FromPath[str], archives: Archives) -> VerifyView:
        """Recheck a package: every file against its SHA-256, nothing missing or extra."""
        return archives.verify(archive_no)

    @get("/packages/{archive_no:str}/zip", opt=ARCHIVE, media_type=ZIP, sync_to_thread=True)
    def download(self, archive_no: FromPath[str], archives: Archives) -> Response[bytes]:
        """The package zip (checked first: a damaged package is refused with 409)."""
        found = archives.verify(archive_no)
        if not found.ok:
            raise Conflict("；".join(found.lines), "archive_damaged")
        record = archives.record(archive_no)
        return _file(archives.path_of(record).read_bytes(), ZIP, f"{archive_no}.zip")

    @get("/transfers", opt=ARCHIVE, sync_to_thread=True)
    def transfers(self, archive_transfers: Transfers) -> list[TransferView]:
        """Transfer lists (移交清单), newest first, each with every round."""
        return archive_transfers.all()

    @post("/transfers", opt=ARCHIVE, sync_to_thread=True)
    def create_transfer(
        self, data: JSONBody[TransferIn], archive_transfers: Transfers, principal: Me
    ) -> TransferView:
        """A new batch: its list (HN-5 附录A) is rendered as a PDF and kept."""
        return archive_transfers.create(data.receiver, list(data.case_numbers), principal.code)

    @get("/transfers/{number:str}", opt=ARCHIVE, sync_to_thread=True)
    def transfer(self, number: FromPath[str], archive_transfers: Transfers) -> TransferView:
        return archive_transfers.get(number)

    @post("/transfers/{number:str}/return", opt=ARCHIVE, sync_to_thread=True)
    def return_transfer(
        self,
        number: FromPath[str],
        data: JSONBody[ReturnIn],
        archive_transfers: Transfers,
        principal: Me,
    ) -> TransferView:
        """The receiver returned the batch as non-compliant (退回), with the reason."""
        return archive_transfers.return_batch(
            number, data.receiver_name, data.reason, principal.code
        )

    @post("/transfers/{number:str}/resubmit", opt=ARCHIVE, sync_to_thread=True)
    def resubmit_transfer(
        self,
        number: FromPath[str],
        data: JSONBody[ResubmitIn],
        archive_transfers: Transfers,
        principal: Me,
    ) -> TransferView:
        """Corrected and handed over again: a new round with a new list."""
        return archive_transfers.resubmit(
            number, data.note, list(data.case_numbers), principal.code
        )

    @post("/transfers/{number:str}/accept", opt=ARCHIVE, sync_to_thread=True)
    def accept_transfer(
        self,
        number: FromPath[str],
        data: JSONBody[AcceptIn],
        archive_transfers: Transfers,
        principal: Me,
    ) -> TransferView:
        """Signed by both sides and received (接收)."""
        return archive_transfers.accept(number, data.receiver_name, principal.code)

    @get(
        "/transfers/{number:str}/rounds/{round_no:int}/pdf",
        opt=ARCHIVE,
        media_type=PDF,
        sync_to_thread=True,
    )
    def transfer_pdf(
        self, number: FromPath[str], round_no: FromPath[int], archive_transfers: Transfers
    ) -> Response[bytes]:
        """The kept list of one round, as printed (checked against its SHA-256)."""
        data, name = archive_transfers.pdf(number, round_no)
        return _file(data, PDF, name)
