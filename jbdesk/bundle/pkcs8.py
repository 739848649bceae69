"""Passphrase-protected private keys as standard PKCS#8 with scrypt (PBES2, RFC 8018 and RFC 7914 §7).

``cryptography`` reads such a file (``load_pem_private_key``) but writes passphrase-protected PKCS#8 only with
PBKDF2-SHA256 at 2,048 iterations (``BestAvailableEncryption``), far below today's advice; its ``encryption_builder``
does not apply to PKCS#8. So the encrypted structure is written here: every primitive (scrypt, AES-256-CBC, PKCS#7
padding, the key's own DER) comes from ``cryptography``, only the few DER elements around them are built by hand.
The structure is OpenSSL's too (``openssl pkcs8 -topk8 -scrypt``); its command-line tools cap scrypt at 32 MiB,
so they read it only at a lower cost (tests/test_key_lifecycle.py checks both).

Cost: scrypt N=2^17, r=8, p=1 (128 MiB, OWASP's Password Storage Cheat Sheet minimum, May 2023). Opening takes
about half a second on an office PC, once per signing.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
_KEY_LENGTH = 32  # AES-256

_PBES2 = "1.2.840.113549.1.5.13"
_PBKDF2 = "1.2.840.113549.1.5.12"
_SCRYPT = "1.3.6.1.4.1.11591.4.11"
_AES256_CBC = "2.16.840.1.101.3.4.1.42"
_PEM_LABEL = b"ENCRYPTED PRIVATE KEY"


@dataclass(frozen=True)
class KdfInfo:
    """How a passphrase-protected key file derives its encryption key (for the upgrade check and the tests)."""

    name: str  # "scrypt", "pbkdf2", or "" (not encrypted, or not a structure this module knows)
    cost: int = 0  # scrypt N, or PBKDF2 iterations
    block_size: int = 0  # scrypt r
    parallelism: int = 0  # scrypt p

    @property
    def current(self) -> bool:
        """As strong as what this jbdesk writes."""
        return (
            self.name == "scrypt"
            and self.cost >= SCRYPT_N
            and self.block_size >= SCRYPT_R
            and self.parallelism >= SCRYPT_P
        )


# writing ------------------------------------------------------------------------------------------------------------
def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _length(len(value)) + value


def _sequence(*items: bytes) -> bytes:
    return _tlv(0x30, b"".join(items))


def _octets(value: bytes) -> bytes:
    return _tlv(0x04, value)


def _integer(n: int) -> bytes:
    return _tlv(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))  # one spare bit: never read as negative


def _oid(dotted: str) -> bytes:
    parts = [int(x) for x in dotted.split(".")]
    body = bytearray([40 * parts[0] + parts[1]])
    for value in parts[2:]:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        body += bytes(reversed(chunk))
    return _tlv(0x06, bytes(body))


def encrypt(private_der: bytes, passphrase: bytes) -> bytes:
    """An unencrypted PKCS#8 DER key as an ``ENCRYPTED PRIVATE KEY`` PEM (PBES2: scrypt + AES-256-CBC)."""
    salt, iv = os.urandom(16), os.urandom(16)
    key = Scrypt(salt=salt, length=_KEY_LENGTH, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(private_der) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(plain) + encryptor.finalize()
    kdf = _sequence(
        _oid(_SCRYPT),
        _sequence(_octets(salt), _integer(SCRYPT_N), _integer(SCRYPT_R), _integer(SCRYPT_P), _integer(_KEY_LENGTH)),
    )
    algorithm = _sequence(_oid(_PBES2), _sequence(kdf, _sequence(_oid(_AES256_CBC), _octets(iv))))
    der = _sequence(algorithm, _octets(ciphertext))
    body = base64.encodebytes(der)  # 76-character lines
    return b"-----BEGIN " + _PEM_LABEL + b"-----\n" + body + b"-----END " + _PEM_LABEL + b"-----\n"


# reading (only to tell which KDF a file uses; decryption is cryptography's) ---------------------------------------
class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def element(self) -> tuple[int, bytes]:
        tag = self.data[self.pos]
        first = self.data[self.pos + 1]
        self.pos += 2
        if first & 0x80:
            size = first & 0x7F
            if not 1 <= size <= 4:
                raise ValueError("length")
            length = int.from_bytes(self.data[self.pos : self.pos + size], "big")
            self.pos += size
        else:
            length = first
        value = self.data[self.pos : self.pos + length]
        if len(value) != length:
            raise ValueError("truncated")
        self.pos += length
        return tag, value

    def expect(self, tag: int) -> bytes:
        found, value = self.element()
        if found != tag:
            raise ValueError("tag")
        return value


def _read_oid(value: bytes) -> str:
    parts = [value[0] // 40, value[0] % 40]
    n = 0
    for byte in value[1:]:
        n = (n << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(n)
            n = 0
    return ".".join(str(p) for p in parts)


def describe(pem: bytes) -> KdfInfo:
    """The KDF of an ``ENCRYPTED PRIVATE KEY`` PEM; ``KdfInfo("")`` for anything else (an unencrypted key)."""
    begin, end = b"-----BEGIN " + _PEM_LABEL + b"-----", b"-----END " + _PEM_LABEL + b"-----"
    start, stop = pem.find(begin), pem.find(end)
    if start < 0 or stop < start:
        return KdfInfo("")
    try:
        der = base64.b64decode(b"".join(pem[start + len(begin) : stop].split()), validate=True)
        outer = _Reader(_Reader(der).expect(0x30))
        algorithm = _Reader(outer.expect(0x30))
        if _read_oid(algorithm.expect(0x06)) != _PBES2:
            return KdfInfo("")
        params = _Reader(algorithm.expect(0x30))
        kdf = _Reader(params.expect(0x30))
        name = _read_oid(kdf.expect(0x06))
        values = _Reader(kdf.expect(0x30))
        values.expect(0x04)  # salt
        numbers: list[int] = []
        while values.pos < len(values.data) and len(numbers) < 4:
            tag, value = values.element()
            if tag == 0x02:
                numbers.append(int.from_bytes(value, "big"))
    except (ValueError, IndexError):
        return KdfInfo("")
    if name == _SCRYPT and len(numbers) >= 3:
        return KdfInfo("scrypt", numbers[0], numbers[1], numbers[2])
    if name == _PBKDF2 and numbers:
        return KdfInfo("pbkdf2", numbers[0])
    return KdfInfo("")
