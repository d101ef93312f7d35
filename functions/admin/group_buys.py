"""Admin routes for group-buy campaigns; composed into the admin function by handler.py."""
from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.marketing.groupbuy import campaigns
from fenxiao.marketing.groupbuy.models import AdminCampaignQuery, CampaignIn
from fenxiao.paging import PageQuery
from fenxiao.runtime import AdminRequest, Routes

routes = Routes()


@routes.route("GET", "/v1/admin/group-buys", auth="admin", query=AdminCampaignQuery, roles=ANY_STAFF)
def list_group_buys(req: AdminRequest[None, AdminCampaignQuery]) -> dict:
    """Group-buy campaigns, newest first, each with its state and its groups by status."""
    return campaigns.admin_list_campaigns(req.db, req.query)


@routes.route("GET", "/v1/admin/group-buys/{campaign_id}/groups", auth="admin", query=PageQuery, roles=ANY_STAFF)
def list_groups(req: AdminRequest[None, PageQuery]) -> dict:
    """A campaign's groups: leader, members by nickname, status, deadline."""
    return campaigns.admin_list_groups(req.db, req.params["campaign_id"], req.query)


@routes.route("POST", "/v1/admin/group-buys", auth="admin", body=CampaignIn, status=201, roles=SHOP)
def new_group_buy(req: AdminRequest[CampaignIn]) -> dict:
    """Create a campaign: product, group size, hours to fill, group price per SKU, window."""
    return campaigns.create_campaign(req.db, req.body)


@routes.route("PUT", "/v1/admin/group-buys/{campaign_id}", auth="admin", body=CampaignIn, roles=SHOP,
               audit=Tracked("group_campaigns"))
def edit_group_buy(req: AdminRequest[CampaignIn]) -> dict:
    """Replace size, hours, prices and window (same product); groups already open keep their terms."""
    return campaigns.update_campaign(req.db, req.params["campaign_id"], req.body)


@routes.route("POST", "/v1/admin/group-buys/{campaign_id}/disable", auth="admin", roles=SHOP,
               audit=Tracked("group_campaigns"))
def disable_group_buy(req: AdminRequest) -> dict:
    """Stop opening and joining groups now."""
    return campaigns.disable_campaign(req.db, req.params["campaign_id"])
