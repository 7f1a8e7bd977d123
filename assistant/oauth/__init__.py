"""Sign-in through the provider's own window (OAuth2) for Microsoft 365, Outlook.com and Gmail.

Qt-free, for the command line and the wizard alike:

    from assistant.oauth.providers import client_for
    from assistant.oauth.sign_in import Cancel, run_oauth_sign_in

    client = client_for(kind, profile.oauth if profile else None)   # None: not registered
    result = run_oauth_sign_in(client, address, cancel=cancel)      # blocks; Cancel from any thread
    if result.signed_in:
        settings.credentials = result.credentials(address)          # then probe as usual

Nothing is imported here, so that adding `--oauth` to the command line costs no start-up time.
`sign_in.py` is the entry point; `flow.py` is the browser flow (PKCE, loopback redirect, state, token exchange); `providers.py`
finds endpoints, scopes and the app registration; the sentences are in resources/oauth.json
(`assistant.core.oauth_explain`).
"""
