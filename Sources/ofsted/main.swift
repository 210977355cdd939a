import OfstedCLI

CLI.main()
