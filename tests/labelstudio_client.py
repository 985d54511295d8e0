"""Drives a running Label Studio server through label-studio-sdk, as a project team would.

Run with the Python of the Label Studio virtual environment (``.venv-labelstudio``), which has the SDK;
the corpus package is not needed here. Usage::

    python labelstudio_client.py URL ADMIN_TOKEN PLAN.json EXPORT.json USERS.json

PLAN.json: ``{"config": XML, "tasks": [...], "annotators": [{"email", "password", "spans": {item_id:
[[start, end, label], ...]}}]}``. Each annotator signs up through the web form (as a new annotator
does), takes their own API token, and submits one annotation per task with their spans; the
administrator then exports the project as JSON into EXPORT.json. USERS.json maps each annotator's
email to their user id (the export names annotators by id, in ``completed_by``).
"""

from __future__ import annotations

import json
import sys

import requests
from label_studio_sdk import LabelStudio


def sign_up(url: str, email: str, password: str) -> str:
    """A new user through the sign-up form; returns their API token."""
    s = requests.Session()
    s.get(f"{url}/user/signup/", timeout=30).raise_for_status()
    r = s.post(f"{url}/user/signup/", data={"email": email, "password": password,
                                            "csrfmiddlewaretoken": s.cookies["csrftoken"]},
               headers={"Referer": f"{url}/user/signup/"}, timeout=30)
    r.raise_for_status()
    r = s.get(f"{url}/api/current-user/token", timeout=30)
    r.raise_for_status()
    return r.json()["token"]


def main(url: str, token: str, plan_path: str, export_path: str, users_path: str) -> None:
    plan = json.loads(open(plan_path, encoding="utf-8").read())
    admin = LabelStudio(base_url=url, api_key=token)
    project = admin.projects.create(title="gaoxin-news pass", label_config=plan["config"])
    admin.projects.import_tasks(id=project.id, request=plan["tasks"])
    users = {}
    for who in plan["annotators"]:
        client = LabelStudio(base_url=url, api_key=sign_up(url, who["email"], who["password"]))
        users[who["email"]] = client.users.whoami().id
        for task in client.tasks.list(project=project.id):
            text = task.data["text"]
            spans = who["spans"][task.data["item_id"]]
            result = [{"id": f"r{k}", "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": s, "end": e, "text": text[s:e], "labels": [lab]}}
                      for k, (s, e, lab) in enumerate(spans)]
            client.annotations.create(id=task.id, result=result, ground_truth=False)
    data = b"".join(admin.projects.exports.download_sync(id=project.id, export_type="JSON",
                                                          download_all_tasks=True))
    tasks = json.loads(data)
    with open(export_path, "w", encoding="utf-8") as f:
        json.dump(tasks, f, ensure_ascii=False, indent=1)
    with open(users_path, "w", encoding="utf-8") as f:
        json.dump(users, f)
    print(f"project {project.id}: {len(tasks)} tasks, "
          f"{sum(len(t['annotations']) for t in tasks)} annotations exported")


if __name__ == "__main__":
    main(*sys.argv[1:6])
