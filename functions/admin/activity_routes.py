"""The four admin routes every marketing activity kind has (seckill, bargain, group buy), declared once.

list (ANY_STAFF) / create (SHOP, 201) / replace (SHOP, audited) / disable (SHOP, audited), each calling
one service function of the kind, whose docstring is the route's summary. The views keep the area's
module and the names `list_<plural>` / `new_<one>` / `edit_<one>` / `disable_<one>`, so audit log
actions (`seckill.edit_seckill`, labelled in `fenxiao.admin.actions`) read as before.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymongo.database import Database

from fenxiao.admin.audit import Tracked
from fenxiao.admin.roles import ANY_STAFF, SHOP
from fenxiao.marketing.activities import AdminActivityQuery
from fenxiao.model import BaseModel
from fenxiao.runtime import Routes

Services = tuple[Callable[[Database, AdminActivityQuery], dict[str, Any]],  # admin list
                 Callable[[Database, Any], dict[str, Any]],                 # create from the body
                 Callable[[Database, str, Any], dict[str, Any]],            # replace by id with the body
                 Callable[[Database, str], dict[str, Any]]]                 # disable by id


def _view(view: Callable[..., Any], module: str, name: str, service: Callable[..., Any]) -> Callable[..., Any]:
    view.__module__, view.__name__, view.__qualname__, view.__doc__ = module, name, name, service.__doc__
    return view


def activity_routes(module: str, path: str, param: str, body: type[BaseModel], collection: str,
                    names: tuple[str, str], services: Services) -> Routes:
    """The kind's routes under `path` (`/{param}` names one activity); `names`: (one, plural)."""
    one, plural = names
    list_, create, edit, disable = services
    routes, item = Routes(), f"{path}/{{{param}}}"
    routes.route("GET", path, auth="admin", query=AdminActivityQuery, roles=ANY_STAFF)(
        _view(lambda req: list_(req.db, req.query), module, f"list_{plural}", list_))
    routes.route("POST", path, auth="admin", body=body, status=201, roles=SHOP)(
        _view(lambda req: create(req.db, req.body), module, f"new_{one}", create))
    routes.route("PUT", item, auth="admin", body=body, roles=SHOP, audit=Tracked(collection))(
        _view(lambda req: edit(req.db, req.params[param], req.body), module, f"edit_{one}", edit))
    routes.route("POST", f"{item}/disable", auth="admin", roles=SHOP, audit=Tracked(collection))(
        _view(lambda req: disable(req.db, req.params[param]), module, f"disable_{one}", disable))
    return routes
