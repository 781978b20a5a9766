select publisher_ja, title_ja, licence, attribution, url
from config.cfg_sources
order by source_id
