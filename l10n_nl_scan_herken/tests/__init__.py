from . import test_settings
from . import test_recognition
from . import test_i18n
from . import test_mailbox
from . import test_supplier
from . import test_einvoice
from . import test_einvoice_corpus
from . import test_demo
