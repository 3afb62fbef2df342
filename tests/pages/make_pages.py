"""Write the invented HTML pages the page classifier is measured on.

Six invented news sites, each with its own chrome (menus, breadcrumbs,
cookie banners, share bars, trending lists, newsletter boxes, footers), hold
the invented articles of articles.py, three pages per site. The article body
is marked as real sites mark it (itemprop="articleBody", itemprop="headline"),
which is where flatten.py takes the labels from. Run from the repository root:

    python -m tests.pages.make_pages
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .articles import ARTICLES

HERE = Path(__file__).resolve().parent


def body_html(article: dict, figure: str, inline_promo: str) -> str:
    parts = [f'<p class="standfirst">{escape(article["standfirst"])}</p>']
    for i, (kind, text) in enumerate(article["body"]):
        if kind == "h2":
            parts.append(f"<h2>{escape(text)}</h2>")
        elif kind == "quote":
            parts.append(f"<blockquote><p>{escape(text)}</p></blockquote>")
        else:
            parts.append(f"<p>{escape(text)}</p>")
        if i == 1 and figure:
            parts.append(figure)
        if i == 3 and inline_promo:
            parts.append(inline_promo)
    return "\n".join(parts)


def links(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f'<li><a href="#">{escape(x)}</a></li>' for x in items) + "</ul>"


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        "<style>body{font-family:serif}</style>"
        "<script>window.dataLayer=window.dataLayer||[];</script></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def gazette(a: dict, others: list[dict]) -> str:
    """A UK local paper: long menu, breadcrumb, cookie banner, most-read list, big footer."""
    return page(
        a["headline"] + " | The Harbour Gazette",
        f"""<a class="skip" href="#main">Skip to main content</a>
<div class="cookie-banner"><p>We use cookies and similar technologies to give you the best experience on our website, to show you relevant adverts and to understand how our site is used. You can change your preferences at any time.</p><button>Accept all</button><button>Manage preferences</button></div>
<header><div class="masthead"><a href="/">The Harbour Gazette</a></div>
<nav>{links(["Home", "News", "Sport", "What's On", "Business", "Opinion", "Jobs", "Property", "Announcements", "Motors"])}</nav>
<div class="account"><a href="#">Sign in</a> <a href="#">Subscribe</a></div></header>
<div class="breadcrumb"><a href="/">Home</a> › <a href="/news">News</a> › <a href="/news/local">Local News</a></div>
<main id="main"><article>
<h1 itemprop="headline">{escape(a["headline"])}</h1>
<div class="byline"><span>By Laura Penhaligon</span> <span>Local Democracy Reporter</span></div>
<time>14:32, 12 March 2024</time>
<div class="share"><a>Share</a><a>Facebook</a><a>X</a><a>WhatsApp</a><a>Email</a></div>
<div itemprop="articleBody">
{body_html(a, '<figure><img src="a.jpg"><figcaption>The town hall on Wednesday evening (Image: Gazette photographer)</figcaption></figure>', f'<aside class="related"><p>Read more: <a href="#">{escape(others[0]["headline"])}</a></p></aside>')}
</div>
<div class="comments"><h3>Comments</h3><p>Show comments (14)</p></div>
</article>
<section class="most-read"><h2>Most Read</h2>{links([o["headline"] for o in others[1:6]])}</section>
</main>
<footer><div class="newsletter"><h3>Get the Gazette in your inbox</h3><p>Sign up to our free daily newsletter for the top stories from across the harbour towns.</p><button>Sign up</button></div>
{links(["About us", "Contact us", "Advertise with us", "Terms and conditions", "Privacy notice", "Cookie settings", "Complaints", "Sitemap"], "footer-links")}
<p>© 2024 Harbour Media Ltd. All rights reserved. Registered in England No. 0412345.</p></footer>""",
    )


def post(a: dict, others: list[dict]) -> str:
    """A US-style metro daily: title-case sections, adverts, related stories, paywall prompt."""
    return page(
        a["headline"] + " - Northfield Post",
        f"""<header><div class="top"><span>Thursday, March 14, 2024</span> <span>Today's Paper</span> <a>Subscribe for $1</a> <a>Log In</a></div>
<div class="logo">Northfield Post</div>
<nav class="sections">{links(["Local", "Politics", "Business", "Sports", "Opinion", "Arts & Living", "Obituaries", "E-Edition"])}</nav></header>
<div class="ad-slot"><p>ADVERTISEMENT</p></div>
<article>
<div class="kicker">Local News</div>
<h1 itemprop="headline">{escape(a["headline"])}</h1>
<p class="byline">By Mara Jensen | Staff Writer</p>
<p class="dateline">Published March 14, 2024 at 6:05 a.m. | Updated March 14, 2024 at 9:41 a.m.</p>
<div class="tools"><button>Gift Article</button><button>Share</button><button>Save</button></div>
<div itemprop="articleBody">
{body_html(a, '<figure><img src="b.jpg"><figcaption>A view of the scene on Tuesday. (Mara Jensen / Northfield Post)</figcaption></figure>', '<div class="ad-slot"><p>Story continues below advertisement</p></div>')}
</div>
<div class="tags">{links(["Local Government", "Transportation", "Community"])}</div>
<div class="author-bio"><p>Mara Jensen covers local government and transportation for the Post. She joined the paper in 2017 after working at newspapers in Ohio and Michigan.</p></div>
</article>
<aside class="related"><h2>Related Stories</h2>{links([o["headline"] for o in others[:4]])}</aside>
<div class="paywall-prompt"><p>You've read 3 of 5 free articles this month.</p><p>Get unlimited digital access for just $1 a week for your first year.</p><button>Subscribe Now</button></div>
<footer>{links(["About Us", "Contact", "Careers", "Advertise", "Privacy Policy", "Terms of Service", "Do Not Sell My Personal Information"])}
<p>Copyright © 2024 Northfield Post Media Group</p></footer>""",
    )


def circuit(a: dict, others: list[dict]) -> str:
    """A blog-style site: sidebar with categories, tags and recent posts; comment form."""
    return page(
        a["headline"] + " – Circuit Notes",
        f"""<div class="site-header"><p class="site-title">Circuit Notes</p><p class="site-description">News and notes from the valley</p>
<nav>{links(["Home", "About", "Archive", "Contact", "Support Us"])}</nav><form><input placeholder="Search"><button>Search</button></form></div>
<div class="content"><article>
<h1 itemprop="headline">{escape(a["headline"])}</h1>
<div class="entry-meta">Posted on March 9, 2024 by Owen Hartley · 6 Comments</div>
<div itemprop="articleBody">
{body_html(a, "", "")}
</div>
<div class="sharedaddy"><h3>Share this:</h3>{links(["Twitter", "Facebook", "Reddit", "Print"])}</div>
<div class="jp-relatedposts"><h3>Related</h3>{links([o["headline"] for o in others[:3]])}</div>
<div class="entry-footer">Posted in <a>Local</a>, <a>Environment</a> | Tagged <a>council</a>, <a>planning</a></div>
</article>
<nav class="post-navigation"><p>« Previous post</p><p>{escape(others[3]["headline"])}</p><p>Next post »</p><p>{escape(others[4]["headline"])}</p></nav>
<div id="respond"><h3>Leave a Reply</h3><p>Your email address will not be published. Required fields are marked *</p>
<form><label>Comment *</label><label>Name *</label><label>Email *</label><label>Website</label>
<p><input type="checkbox"> Save my name, email, and website in this browser for the next time I comment.</p><button>Post Comment</button></form></div></div>
<aside class="sidebar"><h2>Recent Posts</h2>{links([o["headline"] for o in others[5:9]])}
<h2>Categories</h2>{links(["Environment", "Local", "Politics", "Schools", "Transport", "Uncategorized"])}
<h2>Archives</h2>{links(["March 2024", "February 2024", "January 2024", "December 2023"])}</aside>
<footer><p>Proudly powered by WordPress | Theme: Twenty Twelve</p></footer>""",
    )


def wire(a: dict, others: list[dict]) -> str:
    """A wire service: sparse chrome, a markets ticker, a standards footer."""
    return page(
        a["headline"] + " | Meridian Wire",
        f"""<header><div class="brand">Meridian Wire</div>
<nav><a>World</a> | <a>Business</a> | <a>Markets</a> | <a>Sustainability</a> | <a>Legal</a> | <a>Breakingviews</a> | <a>Technology</a></nav>
<div class="ticker">FTSE 100 7,712.40 +0.3% · DAX 17,814.10 -0.1% · Brent $82.14 +0.6%</div></header>
<article>
<h1 itemprop="headline">{escape(a["headline"])}</h1>
<p class="meta">March 11, 2024 10:14 AM GMT Updated 2 hours ago</p>
<div itemprop="articleBody">
{body_html(a, "", "")}
</div>
<p class="trailer">Reporting by Ines Albrecht; Editing by Tom Keller</p>
<p class="standards">Our Standards: The Meridian Trust Principles.</p>
</article>
<section class="more"><h2>More from Meridian</h2>{links([o["headline"] for o in others[:5]])}</section>
<footer><p>Meridian Wire, the news and media division of Meridian Holdings, is the world's largest multimedia news provider, reaching billions of people worldwide every day.</p>
{links(["Cookies", "Terms of Use", "Privacy", "Accessibility", "Corrections", "Site Feedback"])}
<p>All quotes delayed a minimum of 15 minutes.</p><p>© 2024 Meridian. All rights reserved</p></footer>""",
    )


def valley(a: dict, others: list[dict]) -> str:
    """A regional broadcaster: live TV strip, weather widget, video promo, schedule."""
    return page(
        a["headline"] + " | Valley 7 News",
        f"""<header><div class="logo">Valley 7</div>
<nav>{links(["News", "Weather", "Sport", "Watch Live", "Programmes", "Competitions"])}</nav>
<div class="live-strip"><p>LIVE: Valley 7 Evening News</p><p>Watch now</p></div>
<div class="weather-widget"><p>Ashford</p><p>14°C</p><p>Light rain</p><p>7-day forecast</p></div></header>
<main><article>
<h1 itemprop="headline">{escape(a["headline"])}</h1>
<p class="byline">Valley 7 News · 3 hours ago</p>
<div class="video-promo"><p>Video</p><p>Watch: Our reporter was at the scene this morning</p><p>02:14</p></div>
<div itemprop="articleBody">
{body_html(a, '<figure><img src="c.jpg"><figcaption>Picture: Valley 7</figcaption></figure>', '<aside class="promo"><p>Have you been affected? Get in touch with our newsroom by email or on WhatsApp.</p></aside>')}
</div>
<div class="share-tools"><p>Share this article</p>{links(["Copy link", "Facebook", "X", "Email"])}</div>
</article>
<aside class="top-stories"><h2>Top Stories</h2>{links([o["headline"] for o in others[:4]])}</aside>
<aside class="schedule"><h2>On Valley 7 tonight</h2><p>18:00 Valley 7 Evening News</p><p>18:30 Countryside Calendar</p><p>19:00 Quiz Night Live</p></aside></main>
<footer><p>Follow us</p>{links(["Facebook", "Instagram", "TikTok", "YouTube"])}
{links(["Contact Valley 7", "Jobs", "Terms of use", "Privacy and cookies", "Accessibility help"])}
<p>Valley 7 is not responsible for the content of external sites.</p><p>© Valley Television Ltd 2024</p></footer>""",
    )


def longtable(a: dict, others: list[dict]) -> str:
    """A magazine: mega-menu, pull quote, newsletter pitch in prose, 'you might also like'."""
    return page(
        a["headline"] + " | The Long Table",
        f"""<header><p class="logo">The Long Table</p>
<nav><div class="menu"><p>Sections</p>{links(["Food & Drink", "Travel", "Culture", "Home", "Features", "Podcasts"])}</div>
<div class="menu"><p>More</p>{links(["Magazine", "Events", "Shop", "Gift a subscription"])}</div></nav>
<p class="promo-bar">Subscribe and get your first three issues for £3</p></header>
<article>
<p class="section">Features</p>
<h1 itemprop="headline">{escape(a["headline"])}</h1>
<p class="byline">Words by Hattie Marlow</p><p class="date">9 March 2024</p><p class="reading-time">6 min read</p>
<div itemprop="articleBody">
{body_html(a, '<figure><img src="d.jpg"><figcaption>Photograph: Jo Bright for The Long Table</figcaption></figure>', "")}
</div>
<div class="newsletter-box"><h3>Love good stories?</h3><p>Every Friday our editors pick the best of the week's writing and send it straight to your inbox, along with recipes, reading lists and the occasional invitation to one of our supper clubs.</p><p>Sign up now</p><p>By signing up you agree to our privacy policy. You can unsubscribe at any time.</p></div>
</article>
<section class="also-like"><h2>You might also like</h2>{links([o["headline"] for o in others[:3]])}</section>
<footer>{links(["About", "Contact", "Contributors", "Advertise", "Stockists", "Privacy", "Terms"])}
<p>The Long Table is published by Hearthside Publishing Ltd, 12 Weaver's Yard, Bristol.</p><p>© Hearthside Publishing 2024</p></footer>""",
    )


SITES = [gazette, post, circuit, wire, valley, longtable]


def main() -> None:
    for i, article in enumerate(ARTICLES):
        others = ARTICLES[i + 1 :] + ARTICLES[:i]
        site = SITES[i % len(SITES)]
        name = f"{i + 1:02d}-{site.__name__}-{article['slug']}.html"
        (HERE / name).write_text(site(article, others), encoding="utf-8")


if __name__ == "__main__":
    main()
