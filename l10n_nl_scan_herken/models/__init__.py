from . import own_identifier
from . import res_company
from . import res_config_settings
from . import res_partner
from . import recognition_mixin
from . import account_move
from . import scan_intake
from . import fetchmail_server
