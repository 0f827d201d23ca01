"""Static files as every mode serves them: hashed names, gzip and brotli copies, cached a year."""
from __future__ import annotations

from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

ONE_YEAR = 365 * 24 * 3600


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, handing out the hashed name under DEBUG too (Django's
    gives the plain name there, which no browser may cache), so `make run` is production."""

    def url(self, name, force=False):
        return super().url(name, force=True)


class PortalWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """Hashed files are cached for one year, ``immutable`` (WhiteNoise's default is ten)."""

    FOREVER = ONE_YEAR
