"""A TLS-terminating proxy that requires a client certificate, in front of a plain-HTTP test ConsoleMe.

It stands in for the proxy that terminates mTLS in front of a real ConsoleMe (consoleme-api.md 3.1): TLS with
``verify_mode = CERT_REQUIRED`` against one CA, then the request (method, path, headers, body) is forwarded over
plain HTTP to ``--upstream``, with the client certificate's subject CN in ``X-Mtls-Client-Cn``.

Protocol with the test (tests/support/mtls_proxy.ts), on stdout, one line each:
  * first line: the port it listens on (127.0.0.1, port 0 = chosen by the OS);
  * then one JSON object per event: ``{"event": "forwarded", "method", "path", "cn", "status"}`` or
    ``{"event": "tls_error", "error"}`` when a handshake fails (no certificate, one from another CA, ...).
"""

import argparse
import http.client
import http.server
import json
import socket
import ssl
import sys
import threading
import urllib.parse

CN_HEADER = "X-Mtls-Client-Cn"
# Hop-by-hop headers (RFC 9110 7.6.1) are not forwarded; the body is re-sent with its own Content-Length.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}

_print_lock = threading.Lock()


def emit(line):
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def subject_cn(cert):
    for rdn in (cert or {}).get("subject", ()):
        for name, value in rdn:
            if name == "commonName":
                return value
    return ""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "weep-test-mtls-proxy"

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def _forward(self):
        cn = subject_cn(self.connection.getpeercert())
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {}
        for name, value in self.headers.items():
            lower = name.lower()
            # The CN header is the proxy's to set: never pass on a caller's own.
            if lower in HOP_BY_HOP or lower == CN_HEADER.lower() or lower == "host":
                continue
            headers[name] = value
        headers[CN_HEADER] = cn
        headers["Host"] = self.server.upstream.netloc
        upstream = http.client.HTTPConnection(
            self.server.upstream.hostname, self.server.upstream.port, timeout=60
        )
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
        except OSError as error:
            data = f"mTLS proxy: upstream failed: {error}\n".encode()
            self.send_response(502)
            self.send_header("Content-Type", "text/plain")
            answer = None
        finally:
            upstream.close()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        emit(
            json.dumps(
                {
                    "event": "forwarded",
                    "method": self.command,
                    "path": self.path,
                    "cn": cn,
                    "status": answer.status if answer else 502,
                }
            )
        )

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _forward


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, context, upstream):
        self.context = context
        self.upstream = upstream
        super().__init__(address, Handler)

    def finish_request(self, request, client_address):
        # The handshake runs here, in the connection's thread, so a slow or failing client blocks no one.
        try:
            request.settimeout(30)
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            emit(json.dumps({"event": "tls_error", "error": str(error)}))
            request.close()
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            tls.close()

    def handle_error(self, request, client_address):
        # A client that goes away mid-request is not an error worth a traceback.
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="plain-HTTP base URL, e.g. http://127.0.0.1:8081")
    parser.add_argument("--ca", required=True, help="PEM CA that must sign client certificates")
    parser.add_argument("--cert", required=True, help="PEM server certificate")
    parser.add_argument("--key", required=True, help="PEM server key")
    args = parser.parse_args()

    upstream = urllib.parse.urlsplit(args.upstream)
    if upstream.scheme != "http" or not upstream.hostname or not upstream.port:
        parser.error("--upstream must be http://host:port")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(args.ca)
    context.load_cert_chain(args.cert, args.key)

    server = Server(("127.0.0.1", 0), context, upstream)
    emit(str(server.server_address[1]))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
