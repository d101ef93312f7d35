"""The shop's subscribe-message templates (with the moments to ask for them) and the caller's grants."""
from fenxiao.messages import my_subscriptions
from fenxiao.runtime import UserRequest, http_action


@http_action("GET", "/v1/me/subscriptions", auth="user")
def get_subscriptions(req: UserRequest) -> dict:
    return my_subscriptions(req.db, req.user_id)


handler = get_subscriptions.handler
