"""Policies and providers contributed by plugins, attributed to them."""

from __future__ import annotations

import pytest
from jarvis import ModelInfo, ModelProvider, StaticPolicy, allow, ask, deny, hookimpl
from jarvis.keys import REGISTRY
from jarvis.plugins import PluginError
from jarvis.policy import PolicyRequest, abstain
from jarvis.runtime.authorize import check_request


class AllowAll:
    @hookimpl
    def register_policies(self, settings):
        return [StaticPolicy("email.recipient", allow())]


class DenyAll:
    @hookimpl
    def register_policies(self, settings):
        return [StaticPolicy("email.recipient", deny("test says no"))]


async def test_policies_are_collected_per_resource(make_client):
    client = await make_client(AllowAll(), DenyAll())
    registry = client.app[REGISTRY]
    policies = registry.policies["email.recipient"]
    assert len(policies) == 2
    request = PolicyRequest("email.recipient", "a@example.com")
    assert (await check_request(registry.policies, request, None)).decision == deny("test says no")
    assert registry.plugins["AllowAll"].policies == ["email.recipient"]


@pytest.mark.parametrize(
    ("decisions", "verdict"),
    [
        ([allow(), deny("x")], "deny"),
        ([deny("x"), ask("y")], "deny"),
        ([allow(), ask("y")], "ask"),
        ([allow(), abstain()], "allow"),
        ([abstain()], "deny"),
        ([], "deny"),
    ],
)
async def test_any_deny_denies_then_ask_then_allow(decisions, verdict):
    policies = {"r": [StaticPolicy("r", d) for d in decisions]}
    assert (await check_request(policies, PolicyRequest("r", "x"), None)).verdict == verdict


class OneModel(ModelProvider):
    id = "tiny"

    async def list_models(self, ctx):
        return [ModelInfo(id="tiny:one", name="One", provider="tiny")]


class TinyProviders:
    @hookimpl
    def register_providers(self, settings):
        return [OneModel()]


class TinyAgain(TinyProviders):
    pass


async def test_provider_is_registered_under_its_id(make_client):
    client = await make_client(TinyProviders())
    registry = client.app[REGISTRY]
    assert registry.providers["tiny"].plugin == "TinyProviders"
    assert registry.plugins["TinyProviders"].providers == ["tiny"]


def test_two_providers_with_one_id_fail_startup(make_app):
    with pytest.raises(
        PluginError,
        match="provider 'tiny' is registered by both plugin TinyProviders and plugin TinyAgain",
    ):
        make_app(TinyProviders(), TinyAgain())
