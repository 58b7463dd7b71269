"""Every visible label the ABM flow looks for, in English and German, with documented variants."""

from __future__ import annotations

from flows.labels import Labels

ABM_LABELS = Labels(
    "abm",
    {
        # The sign-in widget is an iframe; its title names it.
        "sign_in_frame": ("Sign in with your Managed Apple Account", "Sign in with your Managed Apple ID",
                          "Sign In", "Anmelden", "Mit deinem verwalteten Apple Account anmelden"),
        "account_field": ("Managed Apple Account", "Managed Apple ID", "Apple Account", "Apple ID",
                          "Email or Phone Number", "Verwalteter Apple Account", "Verwaltete Apple-ID",
                          "E-Mail-Adresse oder Telefonnummer"),
        "continue": ("Continue", "Next", "Fortfahren", "Weiter"),
        "password_field": ("Password", "Passwort"),
        "sign_in": ("Sign In", "Anmelden"),
        "code_prompt": ("Two-Factor Authentication", "verification code", "Zwei-Faktor-Authentifizierung",
                        "Bestätigungscode"),
        "trust": ("Trust", "Vertrauen"),
        # The account menu button shows the admin's own name: empty means "the sidebar's menu button".
        "account_menu": (),
        "settings": ("Preferences", "Settings", "Einstellungen"),
        "payments": ("Payments and Billing", "Payments & Billing", "Payments and Invoices",
                     "Zahlungen und Abrechnung", "Zahlungen und Rechnungen"),
        "token_section": ("Server Tokens", "Content Tokens", "Apps & Books", "Apps and Books",
                          "Server-Token", "Inhaltstoken", "Apps und Bücher"),
        "download": ("Download", "Herunterladen", "Laden"),
    },
)
