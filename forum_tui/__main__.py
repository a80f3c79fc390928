from forum_tui.cli import main

main()
