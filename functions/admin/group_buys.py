"""Admin routes for group-buy campaigns; composed into the admin function by handler.py."""
from fenxiao.admin.roles import ANY_STAFF
from fenxiao.marketing.groupbuy import campaigns
from fenxiao.marketing.groupbuy.models import CampaignIn
from fenxiao.paging import PageQuery
from fenxiao.runtime import AdminRequest
from functions.admin.activity_routes import activity_routes

routes = activity_routes(__name__, "/v1/admin/group-buys", "campaign_id", CampaignIn, "group_campaigns",
                         ("group_buy", "group_buys"), (campaigns.admin_list_campaigns, campaigns.create_campaign,
                                                       campaigns.update_campaign, campaigns.disable_campaign))


@routes.route("GET", "/v1/admin/group-buys/{campaign_id}/groups", auth="admin", query=PageQuery, roles=ANY_STAFF)
def list_groups(req: AdminRequest[None, PageQuery]) -> dict:
    """A campaign's groups: leader, members by nickname, status, deadline."""
    return campaigns.admin_list_groups(req.db, req.params["campaign_id"], req.query)
