"""Which SSH algorithms the server offers: few, modern, and compression on by default.

A carer on a 2G link pays for every byte and waits ~1 s per KB at 9.6 kbit/s. asyncssh's
defaults offer some 30 key exchanges, 16 ciphers and let the client choose no compression,
which OpenSSH does unless run with ``-C``: the handshake alone was 2.8 KB, and a visit 7.5
times larger than with compression (measured in issue 10, before screen differences).

So the server offers only ``zlib@openssh.com`` (compression after sign-in, so a password is
never fed to the compressor before the client is known): OpenSSH's client lists ``none`` first
but also offers ``zlib@openssh.com``, so a plain ``ssh`` ends up compressing. A client built
without zlib cannot connect unless the operator runs ``serve --allow-uncompressed``.

Key exchange curve25519 (X25519), host key ed25519 (the only kind forum-tui makes), ciphers
chacha20-poly1305 and AES-GCM: every OpenSSH since 6.5 (2014) and PuTTY since 0.68 has them.
"""

from __future__ import annotations

from typing import Any

COMPRESSION = ("zlib@openssh.com",)
KEX = ("curve25519-sha256", "curve25519-sha256@libssh.org")
HOST_KEY = ("ssh-ed25519",)  # offered because it is the only host key the server has
CIPHERS = ("chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com")
# With an AEAD cipher the MAC is not used, but SSH still negotiates one: offer one, not 20.
MACS = ("hmac-sha2-256-etm@openssh.com", "hmac-sha2-256")


def listen_algorithms(*, allow_uncompressed: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``asyncssh.listen``."""
    return {
        "compression_algs": list(COMPRESSION) + (["none"] if allow_uncompressed else []),
        "kex_algs": list(KEX),
        "encryption_algs": list(CIPHERS),
        "mac_algs": list(MACS),
    }
