"""The function toolkit: how a business action becomes a cloud function."""
from fenxiao.runtime.http import HttpFunction, Reply, Request, Routes, http_action
from fenxiao.runtime.paging import Page, PageQuery, page_of
from fenxiao.runtime.scheduled import Job, scheduled, task

__all__ = ["HttpFunction", "Job", "Page", "PageQuery", "Reply", "Request", "Routes", "http_action",
           "page_of", "scheduled", "task"]
