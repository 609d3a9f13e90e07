"""Included at /api/ by config/urls.py: the batch run and the proposals it makes."""

from django.urls import path

from ranking.batch_api import BatchApi, ProposalAcceptApi, ProposalDeclineApi, ProposalListApi

urlpatterns = [
    path("matching/batch/", BatchApi.as_view(), name="api-matching-batch"),
    path("proposals/", ProposalListApi.as_view(), name="api-proposals"),
    path(
        "proposals/<int:proposal_id>/accept/",
        ProposalAcceptApi.as_view(),
        name="api-proposal-accept",
    ),
    path(
        "proposals/<int:proposal_id>/decline/",
        ProposalDeclineApi.as_view(),
        name="api-proposal-decline",
    ),
]
