"""Plain HTTP routes for attachment files: access-checked download, and upload from the browser's HTML form.

Both resolve the actor exactly like `/graphql` (session cookie or bearer token) and call the dossier services, so
the access policy decides; an attachment the actor may not see is a 404, like one that does not exist.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from backend.api.context import Portal, build_context
from backend.api.ids import encode_id
from backend.assistance import service as assistance
from backend.auth.actors import InvalidCredentials, bearer_from_header
from backend.auth.sessions import CSRF_KEY
from backend.authorizations.pdf import version_pdf as authorization_pdf_of
from backend.clock import paris_today
from backend.declarations.pdf import declaration_pdf as declaration_pdf_of
from backend.dossiers import attachments
from backend.dossiers.storage import FileSystemStorage
from backend.errors import DomainError, NotFound
from backend.paging import row_id


async def _access(portal: Portal, request: Request):
    context = await build_context(
        portal,
        bearer=bearer_from_header(request.headers.get("authorization")),
        cookie_session=request.scope.get("session"),
    )
    return await context.access()


async def _posted_file(
    portal: Portal, request: Request, back: str, missing: str, default_name: str
) -> tuple[str, bytes] | Response:
    """The file of a page's upload form (fields `csrf` and `file`), or the answer that refuses it: 403 for an
    expired form, back to the page with `missing` when no file was chosen."""
    cookie_session = request.scope.get("session") or {}
    async with request.form(max_files=1, max_part_size=portal.settings.attachment_max_bytes + 1024) as form:
        token = form.get("csrf")
        upload_file = form.get("file")
        expected = cookie_session.get(CSRF_KEY)
        if not expected or not isinstance(token, str) or not hmac.compare_digest(token, expected):
            return Response(
                "Formulaire expiré : rechargez la page.", status_code=403, media_type="text/plain; charset=utf-8"
            )
        if upload_file is None or isinstance(upload_file, str):
            return RedirectResponse(f"{back}?erreur={quote(missing)}", status_code=303)
        content = await upload_file.read(portal.settings.attachment_max_bytes + 1)
        return upload_file.filename or default_name, content


def _pdf_response(filename: str, pdf: bytes) -> Response:
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "cache-control": "private, no-store",
        },
    )


def file_routes(portal: Portal) -> list[Route]:
    storage = FileSystemStorage(portal.settings.attachments_dir)

    async def download(request: Request) -> Response:
        raw = request.path_params["attachment_id"]
        try:
            access = await _access(portal, request)
        except InvalidCredentials:
            return JSONResponse({"error": "Jeton d'accès invalide, expiré ou révoqué."}, status_code=401)
        if row_id(raw) is None or access.actor is None:
            return Response("Pièce jointe introuvable.", status_code=404, media_type="text/plain; charset=utf-8")
        async with portal.db.session() as session:
            try:
                attachment = await attachments.attachment_for_download(session, access, row_id(raw))
            except DomainError:
                return Response(
                    "Pièce jointe introuvable.", status_code=404, media_type="text/plain; charset=utf-8"
                )
        content = storage.get(attachment.storage_key)
        return Response(
            content,
            media_type=attachment.content_type,
            headers={
                "content-disposition": f"attachment; filename*=UTF-8''{quote(attachment.filename)}",
                "cache-control": "private, no-store",
            },
        )

    async def upload(request: Request) -> Response:
        """The dossier page's upload form; back to the page with a French message either way."""
        raw = request.path_params["dossier_id"]
        back = f"/dossiers/{quote(raw)}"
        posted = await _posted_file(portal, request, back, "Choisissez un fichier à joindre.", "piece-jointe")
        if isinstance(posted, Response):
            return posted
        filename, content = posted
        try:
            access = await _access(portal, request)
            dossier_id = row_id(raw) or -1
            async with portal.db.session() as session:
                attachment = await attachments.add_attachment(
                    session,
                    access,
                    storage,
                    dossier_id,
                    filename,
                    content,
                    max_bytes=portal.settings.attachment_max_bytes,
                )
        except NotFound:
            return Response("Dossier introuvable.", status_code=404, media_type="text/plain; charset=utf-8")
        except DomainError as error:
            return RedirectResponse(f"{back}?erreur={quote(error.message)}#pieces-jointes", status_code=303)
        message = quote(f"Pièce jointe « {attachment.filename} » ajoutée.")
        return RedirectResponse(f"{back}?message={message}#pieces-jointes", status_code=303)

    async def authorization_pdf(request: Request) -> Response:
        """A version's PDF, for a reader of the authorisation; 404 for any other (as for one that does not exist)."""
        raw, number = request.path_params["authorization_id"], request.path_params["number"]
        missing = Response("Autorisation introuvable.", status_code=404, media_type="text/plain; charset=utf-8")
        try:
            access = await _access(portal, request)
        except InvalidCredentials:
            return JSONResponse({"error": "Jeton d'accès invalide, expiré ou révoqué."}, status_code=401)
        if row_id(raw) is None or row_id(number) is None or access.actor is None:
            return missing
        async with portal.db.session() as session:
            try:
                filename, pdf = await authorization_pdf_of(
                    session, access, row_id(raw), row_id(number), paris_today()
                )
            except DomainError:
                return missing
        return _pdf_response(filename, pdf)

    async def declaration_pdf(request: Request) -> Response:
        """A private declaration's summary, for its declarant or the examining office; 404 for anyone else."""
        raw = request.path_params["declaration_id"]
        missing = Response("Déclaration introuvable.", status_code=404, media_type="text/plain; charset=utf-8")
        try:
            access = await _access(portal, request)
        except InvalidCredentials:
            return JSONResponse({"error": "Jeton d'accès invalide, expiré ou révoqué."}, status_code=401)
        if row_id(raw) is None or access.actor is None:
            return missing
        async with portal.db.session() as session:
            try:
                filename, pdf = await declaration_pdf_of(session, access, row_id(raw))
            except DomainError:
                return missing
        return _pdf_response(filename, pdf)

    async def screenshot(request: Request) -> Response:
        """A ticket's screenshot, for its author and the support; 404 for anyone else."""
        raw = request.path_params["message_id"]
        missing = Response("Capture d'écran introuvable.", status_code=404, media_type="text/plain; charset=utf-8")
        try:
            access = await _access(portal, request)
        except InvalidCredentials:
            return JSONResponse({"error": "Jeton d'accès invalide, expiré ou révoqué."}, status_code=401)
        if row_id(raw) is None or access.actor is None:
            return missing
        async with portal.db.session() as session:
            try:
                entry = await assistance.screenshot_of(session, access, row_id(raw))
            except DomainError:
                return missing
        return Response(
            storage.get(entry.screenshot_key),
            media_type=entry.screenshot_type,
            headers={
                "content-disposition": f"inline; filename*=UTF-8''{quote(entry.screenshot_name or 'capture')}",
                "cache-control": "private, no-store",
            },
        )

    async def screenshot_upload(request: Request) -> Response:
        """The ticket page's screenshot form; back to the page with a French message either way."""
        raw = request.path_params["request_id"]
        back = f"/assistance/demandes/{quote(raw)}"
        posted = await _posted_file(portal, request, back, "Choisissez une image à joindre.", "capture")
        if isinstance(posted, Response):
            return posted
        filename, content = posted
        try:
            access = await _access(portal, request)
            async with portal.db.session() as session:
                await assistance.attach_screenshot(
                    session,
                    access,
                    storage,
                    row_id(raw) or -1,
                    filename,
                    content,
                    max_bytes=portal.settings.attachment_max_bytes,
                )
        except NotFound:
            return Response("Demande introuvable.", status_code=404, media_type="text/plain; charset=utf-8")
        except DomainError as error:
            return RedirectResponse(f"{back}?erreur={quote(error.message)}", status_code=303)
        return RedirectResponse(f"{back}?message={quote('Capture d’écran jointe.')}", status_code=303)

    return [
        Route(
            "/files/assistance/captures/{message_id}", screenshot, methods=["GET"], name="assistance_screenshot"
        ),
        Route(
            "/assistance/demandes/{request_id}/capture",
            screenshot_upload,
            methods=["POST"],
            name="assistance_screenshot_upload",
        ),
        Route(
            "/files/declarations/{declaration_id}.pdf", declaration_pdf, methods=["GET"], name="declaration_pdf"
        ),
        Route(
            "/files/autorisations/{authorization_id}/version-{number}.pdf",
            authorization_pdf,
            methods=["GET"],
            name="authorization_pdf",
        ),
        Route("/files/{attachment_id}", download, methods=["GET"], name="attachment_download"),
        Route("/dossiers/{dossier_id}/pieces-jointes", upload, methods=["POST"], name="attachment_upload"),
    ]


__all__ = ["encode_id", "file_routes"]
