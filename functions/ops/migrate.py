"""After each deploy: create missing indexes and, given {"owner_username": "..."}, the first owner account
(its password from the secret store's `owner-password`).

    npx serverless invoke --stage prod -f ops-migrate --data '{"owner_username": "boss"}'
"""
from fenxiao.admin.bootstrap import migrate
from fenxiao.runtime import Job, task


@task("migrate")
def run(job: Job) -> dict:
    return migrate(job.db, job.event.get("owner_username"))


handler = run.handler
