#!/usr/bin/env python3
"""Screenshot an Odoo page as a logged-in user, with headless chromium.

Usage (with Odoo's python, which has requests and websocket-client):
    python tools/screenshot.py URL OUT.png [--login admin --password admin]
        [--db DB] [--wait 4] [--size 1400x900] [--click CSS-SELECTOR ...]

URL is a full address on the running server, e.g.
http://localhost:8069/odoo/action-mercator_crm.res_partner_action_prospect
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
from urllib.parse import urlsplit

import requests
import websocket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--db", default=None)
    parser.add_argument("--wait", type=float, default=4.0)
    parser.add_argument("--size", default="1400x900")
    parser.add_argument(
        "--click",
        action="append",
        default=[],
        help="CSS selector to click before the screenshot (repeatable, in order)",
    )
    args = parser.parse_args()
    parts = urlsplit(args.url)
    base = f"{parts.scheme}://{parts.netloc}"
    session = requests.Session()
    params = {"login": args.login, "password": args.password}
    if args.db:
        params["db"] = args.db
    reply = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        timeout=60,
    ).json()
    if reply.get("error"):
        raise SystemExit(f"login failed: {reply['error']}")
    session_id = session.cookies.get("session_id")
    width, height = args.size.split("x")
    profile = tempfile.mkdtemp(prefix="mercator_shot_")
    chrome = subprocess.Popen(
        [
            shutil.which("chromium") or "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = f"{profile}/DevToolsActivePort"
        for _ in range(100):
            try:
                port = open(port_file).read().split()[0]
                break
            except (FileNotFoundError, IndexError):
                time.sleep(0.1)
        targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(t for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        counter = iter(range(1, 10**6))

        def call(method, **params):
            msg_id = next(counter)
            ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                msg = json.loads(ws.recv())
                if msg.get("id") == msg_id:
                    return msg.get("result", {})

        call("Network.enable")
        call(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            domain=parts.hostname,
            path="/",
        )
        call("Page.enable")
        call("Page.navigate", url=args.url)
        time.sleep(args.wait)
        for selector in args.click:
            call(
                "Runtime.evaluate",
                expression=f"document.querySelector({json.dumps(selector)}).click()",
            )
            time.sleep(2)
        shot = call("Page.captureScreenshot", format="png")
        with open(args.out, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        print(args.out)
    finally:
        chrome.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
