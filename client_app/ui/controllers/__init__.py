"""The logic of every screen and the plain view-models it shows, with no Kivy: tests drive these
classes without a window. Their methods block (disk, embedding, encryption, network), so the UI
runs them on its worker thread. One module per screen, plus the shared wording; everything is
re-exported here."""

from client_app.ui.controllers.app import SCREENS, AppController
<<<<<<< HEAD
from client_app.ui.controllers.history import (
    NO_HISTORY,
    HistoryController,
    HistoryItem,
    HistoryListView,
    HistoryRoundView,
    HistoryView,
    model_words,
=======
from client_app.ui.controllers.importing import (
    LAST_FOLDER_SETTING,
    NO_BROWSERS_TEXT,
    PICK_TEXT,
    BrowserRow,
    FileCheck,
    ImportController,
    ImportReport,
>>>>>>> main
)
from client_app.ui.controllers.my_data import (
    ACTIVITY_SHOWN,
    MANUAL_SOURCE,
    ActivityRow,
    CategoryRow,
    MyDataController,
    MyDataView,
    coverage_text,
)
from client_app.ui.controllers.privacy import DataUseRow, PendingRow, PrivacyController, PrivacyView
from client_app.ui.controllers.recommendations import (
    AGAIN_NOTE,
    BLENDED_NOTE,
    DETAIL_VALUE_CHARS,
    NO_ROUND,
    NOTHING_FITS,
    CategoryGroup,
    ItemView,
    ModelColumn,
    RecommendationsController,
    RecommendationsView,
    catalog_text,
    details_text,
    in_app_order,
    reads_text,
    safe_link,
    uncovered_groups,
    uncovered_text,
)
from client_app.ui.controllers.settings import ROTATE_QUESTION, SettingsController, SettingsView
from client_app.ui.controllers.wallet import (
    SETTLEMENT_NOTE,
    WalletController,
    WalletScreenView,
    payout_line_text,
    settlement_text,
    settlement_to_explain,
)
from client_app.ui.controllers.welcome import WelcomeController, WelcomeView
from client_app.ui.controllers.wording import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    Notice,
    Opener,
    Progress,
    bid_text,
    category_label,
    credits_text,
    error_text,
    model_short_label,
    plural,
    reputation_text,
    size_text,
    when_text,
)

__all__ = [
    "ACTIVITY_SHOWN",
    "AGAIN_NOTE",
    "BLENDED_NOTE",
    "CATEGORY_LABELS",
    "CATEGORY_ORDER",
    "DETAIL_VALUE_CHARS",
    "LAST_FOLDER_SETTING",
    "MANUAL_SOURCE",
    "NOTHING_FITS",
<<<<<<< HEAD
    "NO_HISTORY",
=======
    "NO_BROWSERS_TEXT",
>>>>>>> main
    "NO_ROUND",
    "PICK_TEXT",
    "ROTATE_QUESTION",
    "SCREENS",
    "SETTLEMENT_NOTE",
    "ActivityRow",
    "AppController",
    "BrowserRow",
    "CategoryGroup",
    "CategoryRow",
    "DataUseRow",
<<<<<<< HEAD
    "HistoryController",
    "HistoryItem",
    "HistoryListView",
    "HistoryRoundView",
    "HistoryView",
    "ImporterChoice",
=======
    "FileCheck",
    "ImportController",
    "ImportReport",
>>>>>>> main
    "ItemView",
    "ModelColumn",
    "MyDataController",
    "MyDataView",
    "Notice",
    "Opener",
    "PendingRow",
    "PrivacyController",
    "PrivacyView",
    "Progress",
    "RecommendationsController",
    "RecommendationsView",
    "SettingsController",
    "SettingsView",
    "WalletController",
    "WalletScreenView",
    "WelcomeController",
    "WelcomeView",
    "bid_text",
    "catalog_text",
    "category_label",
    "coverage_text",
    "credits_text",
    "details_text",
    "error_text",
    "in_app_order",
    "model_short_label",
    "model_words",
    "payout_line_text",
    "plural",
    "reads_text",
    "reputation_text",
    "safe_link",
    "settlement_text",
    "settlement_to_explain",
    "size_text",
    "uncovered_groups",
    "uncovered_text",
    "when_text",
]
