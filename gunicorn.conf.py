"""gunicorn's settings for the portal's web process. gunicorn reads ./gunicorn.conf.py by itself;
the Dockerfile, docker-compose.yml and loadtest/run.sh also name it (``--config``)."""
from gunicorn.http import wsgi

# No Server header: gunicorn has no setting for it and writes "Server: gunicorn" on every
# answer; the product name only helps someone looking for a known flaw. (Its own error pages,
# for requests it cannot parse, have none.)
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server
