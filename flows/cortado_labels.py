"""Every visible label the Cortado flow looks for, in English and German, with documented variants."""

from __future__ import annotations

from flows.labels import Labels

CORTADO_LABELS = Labels(
    "cortado",
    {
        "username": ("User name", "Username", "Login", "Benutzername", "Anmeldename"),
        "password": ("Password", "Passwort", "Kennwort"),
        "log_in": ("Log in", "Login", "Sign in", "Anmelden", "Einloggen"),
        "administration": ("Administration", "Verwaltung"),
        "apps": ("Apps",),
        "accounts_tab": ("App-Store accounts", "App Store accounts", "App-Store-Konten", "App Store-Konten"),
        "name_column": ("Name", "Account name", "Kontoname"),
        "location_column": ("Location", "Standort"),
        "valid_until_column": ("Valid until", "Gültig bis"),
        "edit": ("Edit", "Bearbeiten"),
        "server_token": ("Server token", "Server-Token", "Servertoken"),
        "ok": ("OK", "Save", "Speichern"),
        "cancel": ("Cancel", "Abbrechen"),
        # Only ever the answer that keeps per-app settings: the flow has no label for the other one.
        "no": ("No", "Nein"),
    },
)

# An override must never turn the safe answer into the destructive one.
FORBIDDEN_ANSWERS = ("Yes", "Ja", "OK")
