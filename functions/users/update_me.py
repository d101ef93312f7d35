"""Change the shopper's nickname or avatar."""
from fenxiao.runtime import UserRequest, http_action
from fenxiao.users.models import ProfilePatch
from fenxiao.users.profile import update_me


@http_action("PATCH", "/v1/me", auth="user", body=ProfilePatch)
def update(req: UserRequest[ProfilePatch]) -> dict:
    return update_me(req.db, req.user_id, req.body)


handler = update.handler
