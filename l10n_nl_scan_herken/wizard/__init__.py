from . import split_wizard
from . import mask_test
from . import mask_check
from . import rule_test
from . import validate_account_move
