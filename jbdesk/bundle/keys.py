"""Ed25519 keys: create, store with owner-only permissions, load, sign, verify, and human fingerprints."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jbdesk.bundle import pkcs8
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.errors import JbdeskError

log = logging.getLogger(__name__)

_B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U, easy to read over the phone


def fingerprint(public_raw: bytes) -> str:
    """Full fingerprint stored with keys: hex SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_raw).hexdigest()


def short_fingerprint(public_raw: bytes) -> str:
    """20 characters in 5 groups (100 bits), compared aloud on the phone: 'K3F9-...'."""
    return _short(hashlib.sha256(public_raw).digest())


def short_of_fingerprint(fingerprint_hex: str) -> str:
    """The same short form from a stored full fingerprint (hex SHA-256 of the key)."""
    return _short(bytes.fromhex(fingerprint_hex))


def _short(digest: bytes) -> str:
    bits = int.from_bytes(digest[:13], "big") >> 4  # 100 bits
    chars = []
    for _ in range(20):
        chars.append(_B32[bits & 31])
        bits >>= 5
    text = "".join(reversed(chars))
    return "-".join(text[i : i + 4] for i in range(0, 20, 4))


def short_of_hex(fp_hex: str) -> str:
    """The short form for a stored public key given as hex."""
    return short_fingerprint(bytes.fromhex(fp_hex))


@dataclass(frozen=True)
class PublicKey:
    raw: bytes

    @classmethod
    def from_hex(cls, text: str) -> PublicKey:
        try:
            raw = bytes.fromhex(text)
        except ValueError as exc:
            raise BundleError(Reason.MALFORMED, "공개키 형식이 올바르지 않습니다.") from exc
        if len(raw) != 32:
            raise BundleError(Reason.MALFORMED, "공개키 길이가 올바르지 않습니다.")
        return cls(raw)

    @property
    def hex(self) -> str:
        return self.raw.hex()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    @property
    def short(self) -> str:
        return short_fingerprint(self.raw)

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


class PassphraseRequired(JbdeskError):
    """The private key is protected; ask the user and try again with ``passphrase``."""


class SigningKey:
    """A private key held in memory only as long as needed."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @property
    def public(self) -> PublicKey:
        raw = self._key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return PublicKey(raw)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def save(self, path: Path, passphrase: str | None = None) -> None:
        """PKCS#8 PEM, written atomically with mode 0600 (owner only); with a passphrase, encrypted under scrypt
        (``jbdesk.bundle.pkcs8``)."""
        if passphrase:
            der = self._key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            pem = pkcs8.encrypt(der, passphrase.encode("utf-8"))
        else:
            pem = self._key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(path.parent, 0o700)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, passphrase: str | None = None) -> SigningKey:
        try:
            pem = path.read_bytes()
        except FileNotFoundError as exc:
            raise JbdeskError("서명 키 파일이 없습니다. 먼저 설정을 마치세요.", detail=str(path)) from exc
        try:
            key = serialization.load_pem_private_key(pem, password=passphrase.encode("utf-8") if passphrase else None)
        except TypeError as exc:  # encrypted key without passphrase, or the reverse
            if not passphrase:
                raise PassphraseRequired("서명 키에 암호가 걸려 있습니다. 암호를 입력하세요.") from exc
            raise JbdeskError("이 키에는 암호가 없습니다.") from exc
        except ValueError as exc:
            raise JbdeskError(
                "서명 키를 열 수 없습니다. 암호가 틀렸거나 파일이 손상되었습니다.", detail=str(path)
            ) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise JbdeskError("지원하지 않는 서명 키 형식입니다.", detail=str(path))
        loaded = cls(key)
        if passphrase and not pkcs8.describe(pem).current:
            loaded._upgrade(path, passphrase)
        return loaded

    def _upgrade(self, path: Path, passphrase: str) -> None:
        """A key protected by an older jbdesk (PBKDF2, 2,048 iterations) is saved again under scrypt the first time
        it is opened. Best effort: a key that cannot be rewritten (read-only folder) still works as it is."""
        try:
            self.save(path, passphrase)
        except OSError as exc:
            log.warning("could not upgrade the key file's protection: %s", exc)
        else:
            log.info("key file %s now protected with scrypt", path.name)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise BundleError(Reason.MALFORMED, "서명 값의 형식이 올바르지 않습니다.") from exc
