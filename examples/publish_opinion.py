"""Publish one opinion to the dialogue platform the way another system would, using only nats-py.

    python examples/publish_opinion.py [nats://127.0.0.1:4222] [source]

It subscribes to ``intake.outcome.<source>`` first, publishes the submission to JetStream on
``intake.submit.<source>`` with a ``Nats-Msg-Id``, waits for the outcome of its ``external_id`` and
prints the tracking code (exit 0) or the reason it was refused (exit 1).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid

import nats


async def main(url: str, source: str) -> int:
    nc = await nats.connect(url)
    external_id = f"example-{uuid.uuid4()}"
    submission = {
        "external_id": external_id,
        "kind": "recommendation",
        "content": "Đề nghị sớm có văn bản hướng dẫn quy trình đấu giá đất nông nghiệp sử dụng vào mục đích công ích.",
        "submitter": {"name": "Trần Thị Hoa", "role": "citizen", "residence": "thôn Đồng Du, xã Đồng Du"},
        "channel": "external_system",
    }
    outcome: asyncio.Future[dict[str, object]] = asyncio.get_running_loop().create_future()

    async def on_outcome(msg: nats.aio.msg.Msg) -> None:
        answer = json.loads(msg.data)
        if answer.get("external_id") == external_id and not outcome.done():
            outcome.set_result(answer)

    try:
        await nc.subscribe(f"intake.outcome.{source}", cb=on_outcome)  # before publishing
        ack = await nc.jetstream().publish(
            f"intake.submit.{source}",
            json.dumps(submission, ensure_ascii=False).encode(),
            headers={"Nats-Msg-Id": f"{source}:{external_id}"},
        )
        print(f"stored as message {ack.seq} of stream {ack.stream}; waiting for the outcome...")
        answer = await asyncio.wait_for(outcome, timeout=30)
    finally:
        await nc.drain()
    if answer.get("accepted"):
        print(f"accepted: tracking code {answer['tracking_code']}")
        return 0
    print(f"rejected ({answer['reason']}): {answer['message']}")
    return 1


if __name__ == "__main__":
    server = (
        sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DIALOGUE_NATS_URL", "nats://127.0.0.1:4222")
    )
    name = sys.argv[2] if len(sys.argv) > 2 else "cong-thong-tin-tinh"
    sys.exit(asyncio.run(main(server, name)))
